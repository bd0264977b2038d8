using System.Runtime.InteropServices;

namespace QuantPipeline.Training.Models.LightGbm;

/// <summary>
/// The part of LightGBM's C API (c_api.h of LightGBM 4.7.0, lib_lightgbm from the LightGBM NuGet package) the
/// pipeline uses. Every call returns 0 on success or -1 with the message in <see cref="LastError"/>.
/// </summary>
internal static unsafe partial class NativeMethods
{
    private const string Library = "lib_lightgbm";

    public const int DtypeFloat32 = 0;
    public const int DtypeFloat64 = 1;
    public const int PredictNormal = 0;

    [LibraryImport(Library, EntryPoint = "LGBM_GetLastError")]
    private static partial nint GetLastError();

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetCreateFromMat", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int DatasetCreateFromMat(float* data, int dataType, int rows, int columns, int isRowMajor, string parameters, nint reference, out nint dataset);

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetSetField", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int DatasetSetField(nint dataset, string fieldName, float* data, int count, int dataType);

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetFree")]
    public static partial int DatasetFree(nint dataset);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterCreate", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int BoosterCreate(nint trainData, string parameters, out nint booster);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterAddValidData")]
    public static partial int BoosterAddValidData(nint booster, nint validData);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterUpdateOneIter")]
    public static partial int BoosterUpdateOneIter(nint booster, out int isFinished);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterGetEval")]
    public static partial int BoosterGetEval(nint booster, int dataIndex, out int count, double* results);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterSaveModelToString")]
    public static partial int BoosterSaveModelToString(nint booster, int startIteration, int iterations, int featureImportanceType, long bufferLength, out long length, byte* text);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterLoadModelFromString", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int BoosterLoadModelFromString(string model, out int iterations, out nint booster);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterPredictForMat", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int BoosterPredictForMat(nint booster, float* data, int dataType, int rows, int columns, int isRowMajor, int predictType, int startIteration, int iterations, string parameters, out long length, double* results);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterFree")]
    public static partial int BoosterFree(nint booster);

    /// <summary>Turns a failed call's status into an exception carrying LightGBM's own message.</summary>
    public static void Check(int status, string what)
    {
        if (status != 0)
        {
            throw new InvalidOperationException($"LightGBM {what} failed: {Marshal.PtrToStringUTF8(GetLastError()) ?? "no message"}.");
        }
    }
}
