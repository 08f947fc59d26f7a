"""What the printed documents (the monthly report, the 催办 notices) share: fonts, Chinese
line breaking, the 公文 page."""
