namespace LoopSim.Engine.Runtime;

/// <summary>
/// Where a run's saved values go in the caller's buffer: output k at save point i of run r lands at
/// r × <see cref="RunStride"/> + i × <see cref="RowStride"/> + k × <see cref="OutputStride"/>.
/// </summary>
public readonly record struct SaveLayout(long RunStride, long RowStride, long OutputStride)
{
    /// <summary>Run after run, each a row of its outputs per save point: [r × saves × outputs + i × outputs + k].</summary>
    public static SaveLayout RunAfterRun(int saves, int outputs) => new((long)saves * outputs, outputs, 1);

    /// <summary>
    /// A column per output and save point, each holding <paramref name="stride"/> runs: [(k × saves + i) × stride + r], the
    /// Monte Carlo's layout. A batch then stores each output's eight runs with one instruction.
    /// </summary>
    public static SaveLayout Columns(int saves, int stride) => new(1, stride, (long)saves * stride);

    /// <summary>The buffer length the values of <paramref name="runs"/> runs of <paramref name="outputs"/> outputs at <paramref name="saves"/> save points need.</summary>
    public long Extent(int runs, int saves, int outputs) =>
        runs == 0 || saves == 0 || outputs == 0 ? 0 : (runs - 1) * RunStride + (saves - 1) * RowStride + (outputs - 1) * OutputStride + 1;
}
