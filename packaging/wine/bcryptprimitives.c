/*
 * bcryptprimitives.dll for a Wine test prefix only -- never shipped with gxdesk.
 *
 * Programs built with Rust >= 1.78 (python-calamine's extension among them) import
 * ProcessPrng from bcryptprimitives.dll, which every Windows 10 and later has and
 * Wine 8 lacks: without it the extension fails to load ("DLL load failed ... Module
 * not found") under Wine only. This gives Wine the one function, backed by the
 * system's RtlGenRandom (advapi32's SystemFunction036). packaging/build.py copies it
 * into the prefix's system32 after the build, so the build never sees it.
 *
 *   x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
