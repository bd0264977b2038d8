using System.Globalization;
using QuantPipeline.Core.Compute;

namespace QuantPipeline.Core.Features.Expressions;

/// <summary>
/// Compiles a set of named expressions into one graph. Identical subexpressions anywhere in the set become one node
/// (hash-consing on a canonical key), constant subexpressions are folded, and each node's lookback is the longest
/// history along any of its paths (a window of w adds w − 1 bars, Ref/Delta by n add n).
/// Window functions follow Qlib: min_periods = 1, Std/Var ddof = 1, IdxMax/IdxMin 1-based.
/// </summary>
public sealed class FeatureCompiler
{
    /// <summary>
    /// Exponential weights never end; the warm-up counted as lookback is the number of bars after which the
    /// weight left on older history is below this fraction.
    /// </summary>
    public const double EwmWarmupTolerance = 1e-3;

    private readonly List<DagNode> _nodes = [];
    private readonly Dictionary<string, int> _byKey = new(StringComparer.Ordinal);
    private readonly CompileOptions _options;
    private string _expression = string.Empty;

    private FeatureCompiler(CompileOptions options) => _options = options;

    public static CompiledFeatureSet Compile(IEnumerable<FeatureDefinition> features, CompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        var compiler = new FeatureCompiler(options ?? CompileOptions.Features);
        var outputs = new List<CompiledOutput>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var feature in features)
        {
            if (string.IsNullOrWhiteSpace(feature.Name))
            {
                throw new ArgumentException($"A feature with expression '{feature.Expression}' has no name.", nameof(features));
            }

            if (!names.Add(feature.Name))
            {
                throw new ArgumentException($"Feature '{feature.Name}' is defined twice; names in a set must be unique.", nameof(features));
            }

            int id;
            try
            {
                compiler._expression = feature.Expression;
                id = compiler.Lower(ExpressionParser.Parse(feature.Expression));
            }
            catch (ExpressionSyntaxException e)
            {
                throw e.ForFeature(feature.Name);
            }

            var node = compiler._nodes[id];
            outputs.Add(new CompiledOutput(feature.Name, feature.Expression, id, node.Lookback, node.Lookahead));
        }

        return new CompiledFeatureSet(compiler._nodes, outputs);
    }

    public static CompiledFeatureSet Compile(params (string Name, string Expression)[] features) =>
        Compile(features.Select(f => new FeatureDefinition(f.Name, f.Expression)));

    private int Lower(SyntaxNode node) => FoldConstant(node) is { } value ? Constant(value) : node switch
    {
        FieldNode field => Add(new Spec(DagOp.Field) { Field = field.Name.ToLowerInvariant() }, []),
        NumberNode number => Constant(number.Value),
        UnaryNode unary => LowerUnary(unary.Operator == TokenKind.Minus ? UnaryOp.Neg : UnaryOp.Not, Lower(unary.Operand)),
        BinaryNode binary => LowerBinary(BinaryOpOf(binary.Operator), Lower(binary.Left), Lower(binary.Right)),
        CallNode call => LowerCall(call),
        _ => throw new ArgumentOutOfRangeException(nameof(node), node.GetType().Name, "unknown syntax node"),
    };

    /// <summary>The value of a subtree made only of numbers, so that no node is created for its parts.</summary>
    private static double? FoldConstant(SyntaxNode node)
    {
        switch (node)
        {
            case NumberNode number:
                return number.Value;
            case UnaryNode unary when FoldConstant(unary.Operand) is { } x:
                return ScalarSemantics.Unary(unary.Operator == TokenKind.Minus ? UnaryOp.Neg : UnaryOp.Not, x);
            case BinaryNode binary when FoldConstant(binary.Left) is { } a && FoldConstant(binary.Right) is { } b:
                return ScalarSemantics.Binary(BinaryOpOf(binary.Operator), a, b);
            case CallNode call when call.Arguments.Count == 1 && FoldConstant(call.Arguments[0]) is { } x:
                return call.Function switch
                {
                    "Abs" => ScalarSemantics.Unary(UnaryOp.Abs, x),
                    "Log" => ScalarSemantics.Unary(UnaryOp.Log, x),
                    "Exp" => ScalarSemantics.Unary(UnaryOp.Exp, x),
                    "Sqrt" => ScalarSemantics.Unary(UnaryOp.Sqrt, x),
                    "Sign" => ScalarSemantics.Unary(UnaryOp.Sign, x),
                    _ => null,
                };
            default:
                return null;
        }
    }

    private int LowerCall(CallNode call)
    {
        var args = call.Arguments;
        int Series(int i) => Lower(args[i]);
        int Int(int i) => (int)((NumberNode)args[i]).Value;
        double Num(int i) => ((NumberNode)args[i]).Value;
        int Roll(RollingOp op, int ddof = 1, double quantile = 0.5) =>
            Add(new Spec(DagOp.Rolling) { RollingOp = op, Rolling = new RollingSpec(Int(1), 1, ddof, quantile) }, [Series(0)]);

        switch (call.Function)
        {
            case "Ref":
                {
                    var periods = Int(1);
                    if (periods < 0 && !_options.AllowLookAhead)
                    {
                        throw new ExpressionSyntaxException(
                            _expression,
                            args[1].Column,
                            $"Ref with {periods} bars reads the future; negative periods are allowed only in labels",
                            "a period ≥ 0 in a feature");
                    }

                    var input = Series(0);
                    return periods == 0 ? input : Add(new Spec(DagOp.Shift) { Periods = periods }, [input]);
                }

            case "Delta": return Add(new Spec(DagOp.Diff) { Periods = Int(1) }, [Series(0)]);
            case "Mean": return Roll(RollingOp.Mean);
            case "Sum": return Roll(RollingOp.Sum);
            case "Std": return Roll(RollingOp.Std);
            case "Var": return Roll(RollingOp.Var);
            case "Skew": return Roll(RollingOp.Skew);
            case "Kurt": return Roll(RollingOp.Kurt);
            case "Max": return Roll(RollingOp.Max);
            case "Min": return Roll(RollingOp.Min);
            case "IdxMax": return Roll(RollingOp.ArgMax);
            case "IdxMin": return Roll(RollingOp.ArgMin);
            case "Quantile": return Roll(RollingOp.Quantile, quantile: Num(2));
            case "Rank": return Roll(RollingOp.Rank);
            case "Count": return Roll(RollingOp.Count);
            case "Slope": return Roll(RollingOp.Slope);
            case "Rsquare": return Roll(RollingOp.Rsquare);
            case "Resi": return Roll(RollingOp.Resi);
            case "WMA": return Roll(RollingOp.Wma);
            case "EMA": return Add(new Spec(DagOp.Ewm) { Ewm = EwmSpec.FromSpan(Int(1), adjust: true, minPeriods: 1) }, [Series(0)]);
            case "EMAHL": return Add(new Spec(DagOp.Ewm) { Ewm = EwmSpec.FromHalfLife(Num(1), adjust: true, minPeriods: 1) }, [Series(0)]);
            case "RSI": return Add(new Spec(DagOp.Rsi) { Periods = Int(1) }, [Series(0)]);
            case "Corr":
            case "Cov":
                {
                    var op = call.Function == "Corr" ? RollingPairOp.Corr : RollingPairOp.Cov;
                    return Add(new Spec(DagOp.RollingPair) { RollingPairOp = op, Rolling = new RollingSpec(Int(2), 1) }, [Series(0), Series(1)]);
                }

            case "Abs": return LowerUnary(UnaryOp.Abs, Series(0));
            case "Log": return LowerUnary(UnaryOp.Log, Series(0));
            case "Exp": return LowerUnary(UnaryOp.Exp, Series(0));
            case "Sqrt": return LowerUnary(UnaryOp.Sqrt, Series(0));
            case "Sign": return LowerUnary(UnaryOp.Sign, Series(0));
            case "Power": return LowerBinary(BinaryOp.Pow, Series(0), Series(1));
            case "Greater": return LowerBinary(BinaryOp.Max, Series(0), Series(1));
            case "Less": return LowerBinary(BinaryOp.Min, Series(0), Series(1));
            case "If": return Where(Series(0), Series(1), Series(2));
            case "CsRank": return Add(new Spec(DagOp.CrossSectional) { CrossSectionalOp = CrossSectionalOp.Rank }, [Series(0)]);
            case "CsZScore": return Add(new Spec(DagOp.CrossSectional) { CrossSectionalOp = CrossSectionalOp.ZScore }, [Series(0)]);
            case "CsDemean": return Add(new Spec(DagOp.CrossSectional) { CrossSectionalOp = CrossSectionalOp.Demean }, [Series(0)]);
            default:
                throw new ExpressionSyntaxException(_expression, call.Column, $"function '{call.Function}' has no compiled form", "a known function", FunctionCatalog.Nearest(call.Function));
        }
    }

    private int LowerUnary(UnaryOp op, int input)
    {
        var node = _nodes[input];
        if (node.Op == DagOp.Constant)
        {
            return Constant(ScalarSemantics.Unary(op, node.Value));
        }

        // Logic follows pandas/Qlib (NaN is false) rather than the kernels' IEEE propagation, so it is built from Where.
        return op == UnaryOp.Not ? Where(input, Constant(0), Constant(1)) : Add(new Spec(DagOp.Unary) { UnaryOp = op }, [input]);
    }

    private int LowerBinary(BinaryOp op, int left, int right)
    {
        var a = _nodes[left];
        var b = _nodes[right];
        if (a.Op == DagOp.Constant && b.Op == DagOp.Constant)
        {
            return Constant(ScalarSemantics.Binary(op, a.Value, b.Value));
        }

        // Comparisons and logic with NaN are false (0) in pandas and Qlib, so Mean($close>Ref($close, 1), d) counts
        // the first bar as a down day; the kernels give NaN there, which Where(…, 1, 0) turns into 0.
        switch (op)
        {
            case BinaryOp.Gt or BinaryOp.Lt or BinaryOp.Ge or BinaryOp.Le or BinaryOp.Eq or BinaryOp.Ne:
                return Where(Add(new Spec(DagOp.Binary) { BinaryOp = op }, [left, right]), Constant(1), Constant(0));
            case BinaryOp.And:
                return Where(left, Where(right, Constant(1), Constant(0)), Constant(0));
            case BinaryOp.Or:
                return Where(left, Constant(1), Where(right, Constant(1), Constant(0)));
            default:
                return Add(new Spec(DagOp.Binary) { BinaryOp = op }, [left, right]);
        }
    }

    private int Where(int condition, int whenTrue, int whenFalse)
    {
        var c = _nodes[condition];
        return c.Op == DagOp.Constant
            ? (ScalarSemantics.IsTrue(c.Value) ? whenTrue : whenFalse)
            : Add(new Spec(DagOp.Where), [condition, whenTrue, whenFalse]);
    }

    private int Constant(double value) => Add(new Spec(DagOp.Constant) { Value = value }, []);

    private static BinaryOp BinaryOpOf(TokenKind kind) => kind switch
    {
        TokenKind.Plus => BinaryOp.Add,
        TokenKind.Minus => BinaryOp.Sub,
        TokenKind.Star => BinaryOp.Mul,
        TokenKind.Slash => BinaryOp.Div,
        TokenKind.Greater => BinaryOp.Gt,
        TokenKind.Less => BinaryOp.Lt,
        TokenKind.GreaterEqual => BinaryOp.Ge,
        TokenKind.LessEqual => BinaryOp.Le,
        TokenKind.EqualEqual => BinaryOp.Eq,
        TokenKind.NotEqual => BinaryOp.Ne,
        TokenKind.AndAnd => BinaryOp.And,
        TokenKind.OrOr => BinaryOp.Or,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a binary operator"),
    };

    private int Add(Spec spec, int[] inputs)
    {
        var key = spec.Key(inputs);
        if (_byKey.TryGetValue(key, out var existing))
        {
            return existing;
        }

        var lookback = inputs.Length == 0 ? 0 : inputs.Max(i => _nodes[i].Lookback);
        var lookahead = inputs.Length == 0 ? 0 : inputs.Max(i => _nodes[i].Lookahead);
        switch (spec.Op)
        {
            case DagOp.Shift:
                lookback += Math.Max(spec.Periods, 0);
                lookahead += Math.Max(-spec.Periods, 0);
                break;
            case DagOp.Diff:
                lookback += spec.Periods;
                break;
            case DagOp.Rolling:
            case DagOp.RollingPair:
                lookback += spec.Rolling.Window - 1;
                break;
            case DagOp.Ewm:
                lookback += EwmWarmup(spec.Ewm.Alpha);
                break;
            case DagOp.Rsi:
                lookback += 1 + EwmWarmup(1.0 / spec.Periods);
                break;
        }

        var id = _nodes.Count;
        _nodes.Add(new DagNode
        {
            Id = id,
            Op = spec.Op,
            Inputs = inputs,
            Key = key,
            Field = spec.Field,
            Value = spec.Value,
            UnaryOp = spec.UnaryOp,
            BinaryOp = spec.BinaryOp,
            RollingOp = spec.RollingOp,
            RollingPairOp = spec.RollingPairOp,
            CrossSectionalOp = spec.CrossSectionalOp,
            Rolling = spec.Rolling,
            Ewm = spec.Ewm,
            Periods = spec.Periods,
            Lookback = lookback,
            Lookahead = lookahead,
        });
        _byKey.Add(key, id);
        return id;
    }

    private static int EwmWarmup(double alpha) =>
        alpha >= 1 ? 0 : (int)Math.Ceiling(Math.Log(EwmWarmupTolerance) / Math.Log(1 - alpha));

    private sealed record Spec(DagOp Op)
    {
        public string? Field { get; init; }

        public double Value { get; init; }

        public UnaryOp UnaryOp { get; init; }

        public BinaryOp BinaryOp { get; init; }

        public RollingOp RollingOp { get; init; }

        public RollingPairOp RollingPairOp { get; init; }

        public CrossSectionalOp CrossSectionalOp { get; init; }

        public RollingSpec Rolling { get; init; }

        public EwmSpec Ewm { get; init; }

        public int Periods { get; init; }

        public string Key(int[] inputs)
        {
            var c = CultureInfo.InvariantCulture;
            var head = Op switch
            {
                DagOp.Field => "$" + Field,
                DagOp.Constant => Value.ToString("R", c),
                DagOp.Unary => UnaryOp.ToString(),
                DagOp.Binary => BinaryOp.ToString(),
                DagOp.Where => "Where",
                DagOp.Shift => string.Create(c, $"Shift[{Periods}]"),
                DagOp.Diff => string.Create(c, $"Diff[{Periods}]"),
                DagOp.Rolling => string.Create(c, $"{RollingOp}[{Rolling.Window},{Rolling.MinPeriods},{Rolling.Ddof},{Rolling.Quantile:R}]"),
                DagOp.RollingPair => string.Create(c, $"{RollingPairOp}[{Rolling.Window},{Rolling.MinPeriods}]"),
                DagOp.Ewm => string.Create(c, $"Ewm[{Ewm.Alpha:R},{Ewm.Adjust},{Ewm.MinPeriods}]"),
                DagOp.Rsi => string.Create(c, $"Rsi[{Periods}]"),
                DagOp.CrossSectional => "Cs" + CrossSectionalOp,
                _ => Op.ToString(),
            };
            return inputs.Length == 0 ? head : head + "(" + string.Join(",", inputs) + ")";
        }
    }
}
