using QuantPipeline.Core.Features.Library;

namespace QuantPipeline.Core.Tests.Features;

public class FeatureSetYamlTests
{
    private const string Yaml = """
        name: momentum
        description: two features
        features:
          MA5: Mean($close, 5)/$close
          ROC10: Ref($close, 10)/$close
        """;

    [Fact]
    public void Loads_names_in_file_order_and_round_trips_with_the_same_version()
    {
        var set = FeatureSetYaml.Parse(new StringReader(Yaml));
        Assert.Equal("momentum", set.Name);
        Assert.Equal(["MA5", "ROC10"], set.Names);
        Assert.Matches("^sha256:[0-9a-f]{64}$", set.Version);

        var writer = new StringWriter();
        FeatureSetYaml.Save(set, writer);
        var again = FeatureSetYaml.Parse(new StringReader(writer.ToString()));
        Assert.Equal(set.Version, again.Version);
        Assert.Equal(set.Features, again.Features);
    }

    [Fact]
    public void Version_ignores_layout_and_order_but_not_meaning()
    {
        var set = FeatureSetYaml.Parse(new StringReader(Yaml));
        var reformatted = FeatureSetYaml.Parse(new StringReader("""
            name: momentum
            features:
              ROC10: "Ref( $close,10 ) / ($close)"
              MA5: (Mean($close,5))/$close
            """));
        Assert.Equal(set.Version, reformatted.Version);
        Assert.Equal("MA5=(Mean($close, 5) / $close)\nROC10=(Ref($close, 10) / $close)\n", set.CanonicalForm);

        var changed = FeatureSetYaml.Parse(new StringReader(Yaml.Replace("Mean($close, 5)", "Mean($close, 6)", StringComparison.Ordinal)));
        Assert.NotEqual(set.Version, changed.Version);
        Assert.NotEqual(Alpha158.Create().Version, Alpha360.Create().Version);
        Assert.Equal(Alpha158.Create().Version, Alpha158.Create().Version);
    }

    [Fact]
    public void Errors_name_the_line_and_the_feature()
    {
        var e = Assert.Throws<FormatException>(() => FeatureSetYaml.Parse(new StringReader("name: x\nfeatures:\n  A: $close\n  B: Maen($close, 5)\n"), "x.yaml"));
        Assert.Contains("x.yaml: line 4", e.Message);
        Assert.Contains("feature 'B'", e.Message);
        Assert.Contains("Did you mean 'Mean'?", e.Message);

        Assert.Contains("unknown key 'featurs'", Assert.Throws<FormatException>(() => FeatureSetYaml.Parse(new StringReader("name: x\nfeaturs:\n  A: $close\n"))).Message);
        Assert.Contains("line 4, column 3: Duplicate key A", Assert.Throws<FormatException>(() => FeatureSetYaml.Parse(new StringReader("name: x\nfeatures:\n  A: $close\n  A: $open\n"))).Message);
    }

    [Fact]
    public void Library_sets_have_their_published_sizes()
    {
        Assert.Equal(158, Alpha158.Create().Features.Count);
        Assert.Equal(360, Alpha360.Create().Features.Count);
        Assert.Equal(10, IntradayF8Set.Create().Features.Count);
        Assert.Equal("Ref($close, 59)/$close", Alpha360.Create().Features[0].Expression);
        Assert.Equal("CLOSE59", Alpha360.Create().Features[0].Name);
        Assert.Equal(59, Alpha360.Create().Compile().Lookback);
        Assert.Contains("Built-in sets: alpha158", Assert.Throws<KeyNotFoundException>(() => FeatureLibrary.Get("alpha159")).Message);
    }
}
