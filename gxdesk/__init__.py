"""gxdesk — 政务公开工作台账, an offline desktop ledger for disclosure work plans."""

__version__ = "0.1.0"
