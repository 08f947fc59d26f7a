/*
 * icuuc.dll for a Wine test prefix only -- never shipped with gxdesk.
 *
 * Qt >= 6.10 on Windows imports ICU's converter functions from the system's
 * icuuc.dll, which Windows 10 and later have and Wine 8 does not, so QtCore fails
 * to load under Wine ("DLL load failed while importing QtCore"). These are the
 * functions Qt6Core imports; opening a converter always fails with
 * U_UNSUPPORTED_ERROR, so Qt treats ICU converters as absent and uses its own
 * UTF-8/UTF-16/Latin-1 codecs -- all gxdesk needs. On a real Windows the real
 * icuuc.dll is used: packaging/build.py copies this one into the prefix's
 * system32 after the build, never beside the .exe.
 *
 *   x86_64-w64-mingw32-gcc -shared -O2 -o icuuc.dll icuuc.c
 */
#include <stddef.h>
#include <stdint.h>

#define EXPORT __declspec(dllexport)
typedef int UErrorCode;
typedef uint16_t UChar;
typedef void UConverter;
typedef void (*Callback)(void);
enum { U_UNSUPPORTED_ERROR = 16 };

static int failed(UErrorCode *status)
{
    if (status && *status <= 0)
        *status = U_UNSUPPORTED_ERROR;
    return 0;
}

EXPORT UConverter *ucnv_open(const char *name, UErrorCode *status) { failed(status); return NULL; }
EXPORT void ucnv_close(UConverter *c) { (void)c; }
EXPORT void ucnv_reset(UConverter *c) { (void)c; }
EXPORT int32_t ucnv_countAvailable(void) { return 0; }
EXPORT const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }
EXPORT const char *ucnv_getName(const UConverter *c, UErrorCode *status) { (void)c; failed(status); return NULL; }
EXPORT const char *ucnv_getStandardName(const char *name, const char *standard, UErrorCode *status)
{ (void)name; (void)standard; failed(status); return NULL; }
EXPORT int8_t ucnv_getMaxCharSize(const UConverter *c) { (void)c; return 1; }
EXPORT int32_t ucnv_fromUCountPending(const UConverter *c, UErrorCode *status) { (void)c; return failed(status); }
EXPORT int32_t ucnv_toUCountPending(const UConverter *c, UErrorCode *status) { (void)c; return failed(status); }
EXPORT void ucnv_toUnicode(UConverter *c, UChar **t, const UChar *tl, const char **s, const char *sl,
                           int32_t *o, int8_t flush, UErrorCode *status)
{ (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)flush; failed(status); }
EXPORT void ucnv_fromUnicode(UConverter *c, char **t, const char *tl, const UChar **s, const UChar *sl,
                             int32_t *o, int8_t flush, UErrorCode *status)
{ (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)flush; failed(status); }
EXPORT void ucnv_getToUCallBack(const UConverter *c, Callback *action, const void **context)
{ (void)c; if (action) *action = NULL; if (context) *context = NULL; }
EXPORT void ucnv_getFromUCallBack(const UConverter *c, Callback *action, const void **context)
{ (void)c; if (action) *action = NULL; if (context) *context = NULL; }
EXPORT void ucnv_setToUCallBack(UConverter *c, Callback n, const void *nc, Callback *o, const void **oc,
                                UErrorCode *status)
{ (void)c; (void)n; (void)nc; (void)o; (void)oc; failed(status); }
EXPORT void ucnv_setFromUCallBack(UConverter *c, Callback n, const void *nc, Callback *o, const void **oc,
                                  UErrorCode *status)
{ (void)c; (void)n; (void)nc; (void)o; (void)oc; failed(status); }
EXPORT void ucnv_cbToUWriteUChars(void *args, const UChar *s, int32_t len, int32_t off, UErrorCode *status)
{ (void)args; (void)s; (void)len; (void)off; failed(status); }
EXPORT void ucnv_cbFromUWriteUChars(void *args, const UChar **s, const UChar *sl, int32_t off, UErrorCode *status)
{ (void)args; (void)s; (void)sl; (void)off; failed(status); }
EXPORT void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *ctx, void *args, const char *units, int32_t len,
                                          int reason, UErrorCode *status)
{ (void)ctx; (void)args; (void)units; (void)len; (void)reason; failed(status); }
EXPORT void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *ctx, void *args, const UChar *units, int32_t len,
                                            int32_t cp, int reason, UErrorCode *status)
{ (void)ctx; (void)args; (void)units; (void)len; (void)cp; (void)reason; failed(status); }
