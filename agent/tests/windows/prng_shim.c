/* Test-only shim for wine 8, whose bcryptprimitives.dll lacks ProcessPrng,
 * which Rust's standard library imports for randomness. It forwards to
 * RtlGenRandom (advapi32's SystemFunction036). Built with mingw by run.sh
 * and placed as bcryptprimitives.dll next to the executable; never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
