using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Cluster.Membership;

/// <summary>Which store holds the cluster's membership table.</summary>
public enum MembershipKind
{
    Postgres,
    Redis,
}

/// <summary>
/// The <c>--membership</c> URI: <c>postgresql://user[:password]@host[:port]/database</c> (Orleans ADO.NET clustering)
/// or <c>redis://host[:port]</c> (Orleans Redis clustering). <see cref="Connection"/> is the provider's connection string.
/// </summary>
public sealed record MembershipUri(MembershipKind Kind, string Connection, string Display)
{
    private const string Supported = "Write postgresql://user[:password]@host[:port]/database or redis://host[:port].";

    public static MembershipUri Parse(string uri)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            throw new FormatException($"--membership is empty. {Supported}");
        }

        if (uri.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            var parsed = RegistryUri.Parse(uri, Environment.CurrentDirectory);
            return new MembershipUri(MembershipKind.Postgres, parsed.Location, Redact(uri));
        }

        if (uri.StartsWith("redis://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || string.IsNullOrEmpty(parsed.Host))
            {
                throw new FormatException($"--membership '{uri}' is not a valid Redis URI. {Supported}");
            }

            var port = parsed.IsDefaultPort || parsed.Port < 0 ? 6379 : parsed.Port;
            var connection = $"{parsed.Host}:{port}";
            if (parsed.UserInfo.Length > 0)
            {
                var parts = parsed.UserInfo.Split(':', 2);
                connection += parts.Length == 2
                    ? $",user={Uri.UnescapeDataString(parts[0])},password={Uri.UnescapeDataString(parts[1])}"
                    : $",password={Uri.UnescapeDataString(parts[0])}";
            }

            return new MembershipUri(MembershipKind.Redis, connection, Redact(uri));
        }

        throw new FormatException($"--membership '{Redact(uri)}' is not supported. {Supported}");
    }

    /// <summary>The URI without its password, for logs and status output.</summary>
    private static string Redact(string uri)
    {
        var at = uri.IndexOf('@', StringComparison.Ordinal);
        var scheme = uri.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || scheme < 0)
        {
            return uri;
        }

        var userInfo = uri[(scheme + 3)..at];
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? uri : uri[..(scheme + 3)] + userInfo[..colon] + ":***" + uri[at..];
    }
}
