using LoopSim.Engine.Runtime;
using LoopSim.Experiments.MonteCarlo;

namespace LoopSim.Experiments.Tests.Sensitivity;

/// <summary>A "model" that is a function of its parameters (and of the run's seed): one output "y" saved at time 0 and 1, the same value at both.</summary>
internal sealed class FunctionModel(int parameters, Func<double[], ulong, double> f, int batchSize = 8) : IRunnableModel
{
    public IReadOnlyList<string> ParameterNames { get; } = Enumerable.Range(1, parameters).Select(i => $"x{i}").ToArray();
    public IReadOnlyList<double> DefaultParameters { get; } = new double[parameters];
    public IReadOnlyList<string> OutputNames { get; } = ["y"];
    public IReadOnlyList<double> SaveTimes { get; } = [0.0, 1.0];
    private int Parameters => parameters;
    private int Batch => batchSize;
    private double Evaluate(double[] x, ulong seed) => f(x, seed);

    public IModelRunner CreateRunner() => new Runner(this);

    private sealed class Runner(FunctionModel model) : IModelRunner
    {
        public int BatchSize => model.Batch;

        public void Run(ReadOnlySpan<double> p, ReadOnlySpan<ulong> seeds, ReadOnlySpan<int> outputs, Span<double> buffer, SaveLayout layout)
        {
            int n = model.Parameters;
            for (int r = 0; r < seeds.Length; r++)
            {
                double y = model.Evaluate(p.Slice(r * n, n).ToArray(), seeds[r]);
                for (int i = 0; i < 2; i++)
                    for (int k = 0; k < outputs.Length; k++) buffer[(int)(r * layout.RunStride + i * layout.RowStride + k * layout.OutputStride)] = y;
            }
        }
    }

    /// <summary>Ishigami and Homma (1990): sin x1 + a sin² x2 + b x3⁴ sin x1, inputs uniform on [−π, π].</summary>
    public static FunctionModel Ishigami(double a = 7, double b = 0.1) =>
        new(3, (x, _) => Math.Sin(x[0]) + a * Math.Sin(x[1]) * Math.Sin(x[1]) + b * Math.Pow(x[2], 4) * Math.Sin(x[0]));

    /// <summary>Sobol's G-function: Π (|4x_i − 2| + a_i) / (1 + a_i), inputs uniform on [0, 1].</summary>
    public static FunctionModel GFunction(double[] a) =>
        new(a.Length, (x, _) =>
        {
            double g = 1;
            for (int i = 0; i < a.Length; i++) g *= (Math.Abs(4 * x[i] - 2) + a[i]) / (1 + a[i]);
            return g;
        });
}
