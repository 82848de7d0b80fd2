using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Transmog.Data.Rows;

/// <summary>
/// Gives the already-read front of a spill file back to the system while the rest is still being read (Linux
/// <c>fallocate(PUNCH_HOLE)</c>; elsewhere nothing happens).
/// </summary>
/// <remarks>
/// Why: a spill file is written once and read once, front to back, while the output files are written from it. Each
/// page of a new file costs the kernel a page of memory; freeing the pages of rows already read lets the output reuse
/// them, instead of both files holding memory until the spill file is deleted. On a virtual machine, where a page
/// of memory touched for the first time is several times dearer than a reused one, this is most of the cost of the
/// write phase's system time. The file keeps its size; reading a hole gives zeros, and nothing reads there again.
/// </remarks>
internal static partial class SpillHoles
{
    /// <summary>Bytes read between two holes.</summary>
    public const long Step = 8L << 20;

    private const int KeepSize = 0x01;
    private const int PunchHole = 0x02;

    // Cleared by the first call that fails (a file system that does not punch holes, say): no further calls. Only a
    // 64-bit process: elsewhere fallocate's offsets are 32-bit.
    private static volatile bool _supported = OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    /// <summary>Frees the pages of <c>[offset, offset + length)</c> of the file; <c>false</c> when that cannot be done here.</summary>
    public static bool TryPunch(SafeFileHandle file, long offset, long length)
    {
        if (!_supported || length <= 0 || file.IsInvalid || file.IsClosed)
        {
            return false;
        }

        try
        {
            if (Fallocate(file, KeepSize | PunchHole, offset, length) == 0)
            {
                return true;
            }
        }
        catch (ObjectDisposedException)
        {
            // The spill file was closed under a reader that was still going: nothing left to free.
            return false;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
        }

        _supported = false;
        return false;
    }

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code for the handle; this is called once per 8 MB.
    [DllImport("libc", EntryPoint = "fallocate")]
    private static extern int Fallocate(SafeFileHandle fd, int mode, long offset, long length);
#pragma warning restore SYSLIB1054
}
