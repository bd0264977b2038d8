namespace QuantPipeline.Storage.Audit;

/// <summary>Who acts: user@host of this process, or QP_ACTOR when a service account acts for someone.</summary>
public static class Actor
{
    public static string Current
    {
        get
        {
            var overridden = Environment.GetEnvironmentVariable("QP_ACTOR");
            return string.IsNullOrWhiteSpace(overridden) ? $"{Environment.UserName}@{Environment.MachineName}" : overridden.Trim();
        }
    }
}
