using System.Buffers;
using System.Runtime.InteropServices;

namespace QuantPipeline.Core.Panels;

/// <summary>
/// Exposes a panel's float[] as the bytes of an Arrow buffer without copying. The array is pinned while Arrow holds a
/// pin (IPC writers and native kernels take pointers), so the bytes Arrow sees are the panel's own values.
/// </summary>
internal sealed class PinnedFloatMemory : MemoryManager<byte>
{
    private readonly float[] _values;
    private GCHandle _handle;
    private int _pins;

    internal PinnedFloatMemory(float[] values) => _values = values;

    public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(_values.AsSpan());

    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        lock (_values)
        {
            if (_pins++ == 0)
            {
                _handle = GCHandle.Alloc(_values, GCHandleType.Pinned);
            }
        }

        var start = (byte*)_handle.AddrOfPinnedObject() + elementIndex;
        return new MemoryHandle(start, default, this);
    }

    public override void Unpin()
    {
        lock (_values)
        {
            if (--_pins == 0)
            {
                _handle.Free();
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        lock (_values)
        {
            if (_pins > 0)
            {
                _handle.Free();
                _pins = 0;
            }
        }
    }
}
