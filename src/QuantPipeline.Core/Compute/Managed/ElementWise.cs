using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace QuantPipeline.Core.Compute.Managed;

/// <summary>The element-wise drivers: widest accelerated width, then narrower vectors, then scalars for the tail.</summary>
internal static class ElementWise
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Binary<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst)
        where TOp : IBinaryOperator
    {
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(b);
        ref var pd = ref MemoryMarshal.GetReference(dst);
        nuint length = (nuint)dst.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector512<float>.Count <= length; i += (nuint)Vector512<float>.Count)
            {
                TOp.Invoke(Vector512.LoadUnsafe(ref pa, i), Vector512.LoadUnsafe(ref pb, i)).StoreUnsafe(ref pd, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector256<float>.Count <= length; i += (nuint)Vector256<float>.Count)
            {
                TOp.Invoke(Vector256.LoadUnsafe(ref pa, i), Vector256.LoadUnsafe(ref pb, i)).StoreUnsafe(ref pd, i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector128<float>.Count <= length; i += (nuint)Vector128<float>.Count)
            {
                TOp.Invoke(Vector128.LoadUnsafe(ref pa, i), Vector128.LoadUnsafe(ref pb, i)).StoreUnsafe(ref pd, i);
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref pd, i) = TOp.Invoke(Unsafe.Add(ref pa, i), Unsafe.Add(ref pb, i));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Unary<TOp>(ReadOnlySpan<float> x, Span<float> dst)
        where TOp : IUnaryOperator
    {
        ref var px = ref MemoryMarshal.GetReference(x);
        ref var pd = ref MemoryMarshal.GetReference(dst);
        nuint length = (nuint)dst.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector512<float>.Count <= length; i += (nuint)Vector512<float>.Count)
            {
                TOp.Invoke(Vector512.LoadUnsafe(ref px, i)).StoreUnsafe(ref pd, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector256<float>.Count <= length; i += (nuint)Vector256<float>.Count)
            {
                TOp.Invoke(Vector256.LoadUnsafe(ref px, i)).StoreUnsafe(ref pd, i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector128<float>.Count <= length; i += (nuint)Vector128<float>.Count)
            {
                TOp.Invoke(Vector128.LoadUnsafe(ref px, i)).StoreUnsafe(ref pd, i);
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref pd, i) = TOp.Invoke(Unsafe.Add(ref px, i));
        }
    }

    /// <summary>dst = cond ≠ 0 and not NaN ? a : b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Where(ReadOnlySpan<float> cond, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst)
    {
        ref var pc = ref MemoryMarshal.GetReference(cond);
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(b);
        ref var pd = ref MemoryMarshal.GetReference(dst);
        nuint length = (nuint)dst.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector512<float>.Count <= length; i += (nuint)Vector512<float>.Count)
            {
                var c = Vector512.LoadUnsafe(ref pc, i);
                var take = Vector512.Equals(c, c) & ~Vector512.Equals(c, Vector512<float>.Zero);
                Vector512.ConditionalSelect(take, Vector512.LoadUnsafe(ref pa, i), Vector512.LoadUnsafe(ref pb, i)).StoreUnsafe(ref pd, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector256<float>.Count <= length; i += (nuint)Vector256<float>.Count)
            {
                var c = Vector256.LoadUnsafe(ref pc, i);
                var take = Vector256.Equals(c, c) & ~Vector256.Equals(c, Vector256<float>.Zero);
                Vector256.ConditionalSelect(take, Vector256.LoadUnsafe(ref pa, i), Vector256.LoadUnsafe(ref pb, i)).StoreUnsafe(ref pd, i);
            }
        }

        for (; i < length; i++)
        {
            var c = Unsafe.Add(ref pc, i);
            Unsafe.Add(ref pd, i) = !float.IsNaN(c) && c != 0 ? Unsafe.Add(ref pa, i) : Unsafe.Add(ref pb, i);
        }
    }
}
