using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Runtime;

/// <summary>
/// The compiled phases of a run for values of type T (double for one run, Vector512&lt;double&gt; for a batch): the
/// generated code (Compilation.CodeGen) that RunEngine calls. Each reads and writes the value slots (<see cref="Slots"/>).
/// Each phase is generated and compiled when first called: a run uses two or three of the four (the fused Euler loop
/// replaces the step and derivative phases; loop analysis records every step phase by phase), and the .NET compiler
/// takes tens of milliseconds over a phase of a large model.
/// </summary>
internal sealed class Phases<T>(
    Func<Action<T[], RunContext>> initialize,
    Func<Action<T[], RunContext>> computeEachStep,
    Func<Action<T[], T[]>> derivatives,
    Func<Action<T[], RunContext, RunEngine<T>>>? eulerLoop) where T : unmanaged
{
    private readonly Lazy<Action<T[], RunContext>> _initialize = new(initialize);
    private readonly Lazy<Action<T[], RunContext>> _computeEachStep = new(computeEachStep);
    private readonly Lazy<Action<T[], T[]>> _derivatives = new(derivatives);
    private readonly Lazy<Action<T[], RunContext, RunEngine<T>>>? _eulerLoop = eulerLoop is null ? null : new(eulerLoop);

    public Action<T[], RunContext> Initialize => _initialize.Value;
    public Action<T[], RunContext> ComputeEachStep => _computeEachStep.Value;
    public Action<T[], T[]> Derivatives => _derivatives.Value;
    /// <summary>Null when the model has no fused loop (not Euler, or too large).</summary>
    public Action<T[], RunContext, RunEngine<T>>? EulerLoop => _eulerLoop?.Value;
}

/// <summary>Where a run keeps its values: slots 0–3 hold TIME, DT, STARTTIME and STOPTIME; node i lives in slot <see cref="Of"/>(i).</summary>
internal static class Slots
{
    public const int Time = 0, Dt = 1, Start = 2, Stop = 3, FirstNode = 4;

    public static int Of(int node) => FirstNode + node;
}

/// <summary>What RunEngine needs of a compiled model besides its phases: which slots hold what, and the run's length.</summary>
internal sealed class RunLayout
{
    public required SimSpecs Specs { get; init; }
    public required int SlotCount { get; init; }
    public required int[] StockSlots { get; init; }
    /// <summary>Per stock: held at zero rather than going below it.</summary>
    public required bool[] NonNegative { get; init; }
    public required int[] ParameterSlots { get; init; }
    public required int[] RandomSlots { get; init; }
    /// <summary>Per random slot: a standard normal variate, else uniform on [0, 1).</summary>
    public required bool[] RandomNormal { get; init; }
    public required int[] DelayInputSlots { get; init; }
    /// <summary>Per fixed DELAY (in the order of <see cref="DelayInputSlots"/>): its history buffer in RunContext.Delays.</summary>
    public required int[] DelayIndex { get; init; }
    public required int DelayCount { get; init; }
    public required int StepCount { get; init; }
    public required int SaveStride { get; init; }
}

/// <summary>
/// Where a run's saved values go: saved slot Slots[k] of run r at save row i is written to
/// First + r × RunStride + i × RowStride + k × SlotStride (a <see cref="SaveLayout"/>). Set for the duration of one Execute.
/// </summary>
internal sealed unsafe class SaveTarget
{
    public int[] Slots = [];
    public int Count, Runs;
    public long RunStride, RowStride, SlotStride;
    public double* First;

    /// <summary>Slots[0] when the saved slots are adjacent and ascending (a row is then one block of v), else −1.</summary>
    public int FirstOfBlock = -1;

    /// <summary>Saves <paramref name="slots"/> (output k is slots[k]) for <paramref name="runs"/> runs laid out as <paramref name="layout"/>.</summary>
    public void Set(ReadOnlySpan<int> slots, int runs, SaveLayout layout)
    {
        slots.CopyTo(Slots);
        (Count, Runs) = (slots.Length, runs);
        (RunStride, RowStride, SlotStride) = (layout.RunStride, layout.RowStride, layout.OutputStride);
        FirstOfBlock = slots.Length > 0 ? slots[0] : -1;
        for (int k = 1; k < slots.Length; k++)
            if (slots[k] != slots[0] + k) FirstOfBlock = -1;
    }

    /// <summary>Copies the saved slots of one run's values into row <paramref name="row"/> (inlined into the fused Euler loop: a call would spill its values).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CopyRow(double[] v, int row)
    {
        double* to = First + row * RowStride;
        ref double from = ref MemoryMarshal.GetArrayDataReference(v);
        int count = Count, first = FirstOfBlock, k = 0;
        long next = SlotStride;
        if (first >= 0 && next == 1)
        {
            for (; k + Vector512<double>.Count <= count; k += Vector512<double>.Count) Vector512.LoadUnsafe(ref from, (nuint)(first + k)).Store(to + k);
            for (; k < count; k++) to[k] = Unsafe.Add(ref from, first + k);
        }
        else
        {
            var slots = Slots;
            for (; k < count; k++) to[k * next] = Unsafe.Add(ref from, slots[k]);
        }
    }

    /// <summary>
    /// Copies the saved slots of each run of a batch, from its lane, into its row <paramref name="row"/>. A full batch
    /// whose runs are adjacent (the Monte Carlo's columns) stores each slot's vector as it is, one store per slot. A full
    /// batch saving run after run on AVX-512 moves eight slots at a time: their eight vectors, transposed in registers
    /// (24 shuffles), are each one run's eight consecutive values, one store per run, where extracting lane by lane takes
    /// a shuffle and a store per value. Inlined into the fused loop (a call there spills every live vector), which the JIT
    /// refuses for a method of more than 32 locals: the loads and shuffle indices are written as expressions, not variables.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CopyRow(Vector512<double>[] v, int row)
    {
        double* to = First + row * RowStride;
        ref var from = ref MemoryMarshal.GetArrayDataReference(v);
        var slots = Slots;
        int count = Count, runs = Runs, k = 0;
        long next = RunStride, across = SlotStride;
        if (runs == Vector512<double>.Count && next == 1)
        {
            for (; k < count; k++) Unsafe.Add(ref from, slots[k]).Store(to + k * across);
            return;
        }
        if (runs == Vector512<double>.Count && across == 1 && Avx512F.IsSupported)
        {
            for (; k + Vector512<double>.Count <= count; k += Vector512<double>.Count)
            {
                // Pairs, then quads, then octets: after the last step vector r holds lane r of the eight slots.
                var t0 = Avx512F.UnpackLow(Unsafe.Add(ref from, slots[k]), Unsafe.Add(ref from, slots[k + 1]));    // lanes 0, 2, 4, 6 of slots k, k+1
                var t1 = Avx512F.UnpackHigh(Unsafe.Add(ref from, slots[k]), Unsafe.Add(ref from, slots[k + 1]));   // lanes 1, 3, 5, 7
                var t2 = Avx512F.UnpackLow(Unsafe.Add(ref from, slots[k + 2]), Unsafe.Add(ref from, slots[k + 3]));
                var t3 = Avx512F.UnpackHigh(Unsafe.Add(ref from, slots[k + 2]), Unsafe.Add(ref from, slots[k + 3]));
                var t4 = Avx512F.UnpackLow(Unsafe.Add(ref from, slots[k + 4]), Unsafe.Add(ref from, slots[k + 5]));
                var t5 = Avx512F.UnpackHigh(Unsafe.Add(ref from, slots[k + 4]), Unsafe.Add(ref from, slots[k + 5]));
                var t6 = Avx512F.UnpackLow(Unsafe.Add(ref from, slots[k + 6]), Unsafe.Add(ref from, slots[k + 7]));
                var t7 = Avx512F.UnpackHigh(Unsafe.Add(ref from, slots[k + 6]), Unsafe.Add(ref from, slots[k + 7]));
                var u0 = Avx512F.PermuteVar8x64x2(t0, Vector512.Create(0L, 1, 8, 9, 4, 5, 12, 13), t2);    // lanes 0, 4 of slots k … k+3
                var u1 = Avx512F.PermuteVar8x64x2(t0, Vector512.Create(2L, 3, 10, 11, 6, 7, 14, 15), t2);  // lanes 2, 6
                var u2 = Avx512F.PermuteVar8x64x2(t1, Vector512.Create(0L, 1, 8, 9, 4, 5, 12, 13), t3);    // lanes 1, 5
                var u3 = Avx512F.PermuteVar8x64x2(t1, Vector512.Create(2L, 3, 10, 11, 6, 7, 14, 15), t3);  // lanes 3, 7
                var u4 = Avx512F.PermuteVar8x64x2(t4, Vector512.Create(0L, 1, 8, 9, 4, 5, 12, 13), t6);    // the same of slots k+4 … k+7
                var u5 = Avx512F.PermuteVar8x64x2(t4, Vector512.Create(2L, 3, 10, 11, 6, 7, 14, 15), t6);
                var u6 = Avx512F.PermuteVar8x64x2(t5, Vector512.Create(0L, 1, 8, 9, 4, 5, 12, 13), t7);
                var u7 = Avx512F.PermuteVar8x64x2(t5, Vector512.Create(2L, 3, 10, 11, 6, 7, 14, 15), t7);
                double* cell = to + k;
                Avx512F.PermuteVar8x64x2(u0, Vector512.Create(0L, 1, 2, 3, 8, 9, 10, 11), u4).Store(cell);
                Avx512F.PermuteVar8x64x2(u2, Vector512.Create(0L, 1, 2, 3, 8, 9, 10, 11), u6).Store(cell + next);
                Avx512F.PermuteVar8x64x2(u1, Vector512.Create(0L, 1, 2, 3, 8, 9, 10, 11), u5).Store(cell + 2 * next);
                Avx512F.PermuteVar8x64x2(u3, Vector512.Create(0L, 1, 2, 3, 8, 9, 10, 11), u7).Store(cell + 3 * next);
                Avx512F.PermuteVar8x64x2(u0, Vector512.Create(4L, 5, 6, 7, 12, 13, 14, 15), u4).Store(cell + 4 * next);
                Avx512F.PermuteVar8x64x2(u2, Vector512.Create(4L, 5, 6, 7, 12, 13, 14, 15), u6).Store(cell + 5 * next);
                Avx512F.PermuteVar8x64x2(u1, Vector512.Create(4L, 5, 6, 7, 12, 13, 14, 15), u5).Store(cell + 6 * next);
                Avx512F.PermuteVar8x64x2(u3, Vector512.Create(4L, 5, 6, 7, 12, 13, 14, 15), u7).Store(cell + 7 * next);
            }
        }
        for (; k < count; k++)
        {
            var value = Unsafe.Add(ref from, slots[k]);
            double* cell = to + k * across;
            if (runs == Vector512<double>.Count)
            {
                cell[0] = value.GetElement(0);
                cell[next] = value.GetElement(1);
                cell[2 * next] = value.GetElement(2);
                cell[3 * next] = value.GetElement(3);
                cell[4 * next] = value.GetElement(4);
                cell[5 * next] = value.GetElement(5);
                cell[6 * next] = value.GetElement(6);
                cell[7 * next] = value.GetElement(7);
            }
            else
                for (int r = 0; r < runs; r++) cell[r * next] = value[r];
        }
    }
}

/// <summary>
/// Advances one run (T = double) or a batch of runs, one per lane (T = Vector512&lt;double&gt;). Apart from the
/// compiled phases everything here works on the values as doubles, slot s of lane l at s × Lanes + l, each lane
/// exactly as one run: the integrators are written once. Holds every buffer a run needs, allocated once, so a run
/// allocates nothing. Not thread-safe: use one per thread.
/// </summary>
internal sealed unsafe class RunEngine<T> where T : unmanaged
{
    public static int Lanes => Unsafe.SizeOf<T>() / sizeof(double);

    private readonly RunLayout _layout;
    private readonly Phases<T> _phases;
    private readonly T[] _values;
    private readonly RunContext _context;
    private readonly int[] _stockSlots;
    private readonly bool[] _nonNegative;
    private readonly int[] _parameterSlots;
    private readonly int[] _randomSlots;
    private readonly bool[] _randomNormal;
    private readonly int[] _delayInputSlots;
    private readonly int[] _delayIndex;
    private readonly T[] _k1, _k2, _k3, _k4;
    private readonly double[] _startStocks;

    /// <summary>Where the run being executed saves (read by the fused Euler loop).</summary>
    public readonly SaveTarget Target = new();

    public RunEngine(RunLayout layout, Phases<T> phases)
    {
        _layout = layout;
        _phases = phases;
        _values = new T[layout.SlotCount];
        _context = new RunContext(Lanes, layout.DelayCount, layout.StepCount + 1);
        _stockSlots = layout.StockSlots;
        _nonNegative = layout.NonNegative;
        _parameterSlots = layout.ParameterSlots;
        _randomSlots = layout.RandomSlots;
        _randomNormal = layout.RandomNormal;
        _delayInputSlots = layout.DelayInputSlots;
        _delayIndex = layout.DelayIndex;
        int n = _stockSlots.Length;
        (_k1, _k2, _k3, _k4) = (new T[n], new T[n], new T[n], new T[n]);
        _startStocks = new double[n * Lanes];
        Target.Slots = new int[_values.Length];
    }

    public int SlotCount => _values.Length;

    /// <summary>The DELAY histories and random streams of the last run.</summary>
    public RunContext Context => _context;

    /// <summary>Forces the phase-by-phase path where the fused Euler loop would run (tests compare the two).</summary>
    public bool PhaseByPhase { get; set; }

    private Span<double> Values => MemoryMarshal.Cast<T, double>(_values.AsSpan());

    /// <summary>
    /// Runs seeds.Length runs (1 to Lanes) at once. Run r takes parameters[r × P, (r + 1) × P) and seeds[r], and
    /// writes slot saveSlots[k] at save point i where <paramref name="layout"/> puts output k of run r at save point i.
    /// Unused lanes repeat run 0 (so lane-uniform shortcuts still apply) and are not saved.
    /// </summary>
    public void Execute(ReadOnlySpan<double> parameters, ReadOnlySpan<ulong> seeds, ReadOnlySpan<int> saveSlots, int stride, Span<double> buffer, SaveLayout layout)
    {
        var specs = _layout.Specs;
        int lanes = Lanes, runs = seeds.Length, count = _parameterSlots.Length;
        double dt = specs.Dt, start = specs.Start;
        var v = Values;
        v.Clear();
        SetAllLanes(Slots.Time, start);
        SetAllLanes(Slots.Dt, dt);
        SetAllLanes(Slots.Start, start);
        SetAllLanes(Slots.Stop, specs.Stop);
        for (int l = 0; l < lanes; l++)
        {
            int run = l < runs ? l : 0;
            for (int p = 0; p < count; p++) v[_parameterSlots[p] * lanes + l] = parameters[run * count + p];
            _context.Randoms[l].Reseed(seeds[run]);
        }

        fixed (double* first = buffer)
        {
            Target.Set(saveSlots, runs, layout);
            Target.First = first;
            try
            {
                DrawRandoms();
                _phases.Initialize(_values, _context);
                RecordDelays(0);
                SaveRow(0);
                if (stride == _layout.SaveStride && !PhaseByPhase && _phases.EulerLoop is { } eulerLoop)
                    CallAligned(eulerLoop);
                else
                    PhaseByPhaseRun(stride);
            }
            finally { Target.First = null; }
        }
    }

    /// <summary>
    /// Calls the fused loop with the stack pointer at a fixed position modulo 64. The JIT spills a batch's 64-byte
    /// vectors to frame slots at fixed offsets from the entry stack pointer, which the OS places at a random multiple of
    /// 16: unless it sits at the one position of four that puts the slots on 64-byte boundaries, every spill straddles a
    /// cache line and store-to-load forwarding stalls (ecosystem batch 37–39 µs a run there, 46–73 µs elsewhere;
    /// fixing the position modulo 32 only left two of them, one slow). Padding the stack to that position keeps every
    /// process fast.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CallAligned(Action<T[], RunContext, RunEngine<T>> loop)
    {
        byte* probe = stackalloc byte[1];
        byte* pad = stackalloc byte[(int)(((nuint)probe + 40) % 64) + 1];
        loop(_values, _context, this);
        pad[0] = probe[0];   // keeps the padding allocated across the call
    }

    private void PhaseByPhaseRun(int stride)
    {
        var specs = _layout.Specs;
        double dt = specs.Dt, start = specs.Start;
        for (int step = 0; step < _layout.StepCount; step++)
        {
            double time = start + step * dt;
            switch (specs.Method)
            {
                case IntegrationMethod.Euler: EulerStep(dt); break;
                case IntegrationMethod.RK2: Rk2Step(time, dt); break;
                default: Rk4Step(time, dt); break;
            }
            SetAllLanes(Slots.Time, start + (step + 1) * dt);
            DrawRandoms();
            _phases.ComputeEachStep(_values, _context);
            RecordDelays(step + 1);
            if ((step + 1) % stride == 0) SaveRow((step + 1) / stride);
        }
    }

    private void EulerStep(double dt)
    {
        _phases.Derivatives(_values, _k1);
        ReadOnlySpan<double> k1 = Lanewise(_k1), v = Values;
        for (int k = 0; k < _stockSlots.Length; k++)
            for (int l = 0; l < Lanes; l++) SetStock(k, l, v[_stockSlots[k] * Lanes + l] + dt * k1[k * Lanes + l]);
    }

    /// <summary>Heun's method: the average of the slopes at the start and at the Euler-predicted end of the step.</summary>
    private void Rk2Step(double time, double dt)
    {
        SaveStocks();
        _phases.Derivatives(_values, _k1);
        Stage(time + dt, dt, _k1);
        _phases.Derivatives(_values, _k2);
        ReadOnlySpan<double> k1 = Lanewise(_k1), k2 = Lanewise(_k2);
        for (int i = 0; i < _startStocks.Length; i++) SetStock(i / Lanes, i % Lanes, _startStocks[i] + dt / 2 * (k1[i] + k2[i]));
    }

    private void Rk4Step(double time, double dt)
    {
        SaveStocks();
        _phases.Derivatives(_values, _k1);
        Stage(time + dt / 2, dt / 2, _k1);
        _phases.Derivatives(_values, _k2);
        Stage(time + dt / 2, dt / 2, _k2);
        _phases.Derivatives(_values, _k3);
        Stage(time + dt, dt, _k3);
        _phases.Derivatives(_values, _k4);
        ReadOnlySpan<double> k1 = Lanewise(_k1), k2 = Lanewise(_k2), k3 = Lanewise(_k3), k4 = Lanewise(_k4);
        for (int i = 0; i < _startStocks.Length; i++)
            SetStock(i / Lanes, i % Lanes, _startStocks[i] + dt / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
    }

    private static ReadOnlySpan<double> Lanewise(T[] values) => MemoryMarshal.Cast<T, double>(values.AsSpan());

    private void SaveStocks()
    {
        var v = Values;
        for (int i = 0; i < _startStocks.Length; i++) _startStocks[i] = v[_stockSlots[i / Lanes] * Lanes + i % Lanes];
    }

    /// <summary>An intermediate stage: stocks at start + h × slope, flows and auxiliaries recomputed at that time.</summary>
    private void Stage(double time, double h, T[] slope)
    {
        var v = Values;
        var s = Lanewise(slope);
        for (int i = 0; i < _startStocks.Length; i++) v[_stockSlots[i / Lanes] * Lanes + i % Lanes] = _startStocks[i] + h * s[i];
        SetAllLanes(Slots.Time, time);
        _phases.ComputeEachStep(_values, _context);
    }

    /// <summary>Non-negative stocks are held at zero rather than going below it.</summary>
    private void SetStock(int k, int lane, double value) => Values[_stockSlots[k] * Lanes + lane] = _nonNegative[k] && value < 0 ? 0 : value;

    private void SetAllLanes(int slot, double value) => Values.Slice(slot * Lanes, Lanes).Fill(value);

    /// <summary>Copies the saved slots of every run into its row <paramref name="index"/>.</summary>
    private void SaveRow(int index)
    {
        if (typeof(T) == typeof(double)) Target.CopyRow(Unsafe.As<double[]>(_values), index);
        else Target.CopyRow(Unsafe.As<Vector512<double>[]>(_values), index);
    }

    /// <summary>Each lane draws from its own stream, in the same order as one run would.</summary>
    public void DrawRandoms()
    {
        var v = Values;
        for (int r = 0; r < _randomSlots.Length; r++)
            for (int l = 0; l < Lanes; l++)
            {
                var random = _context.Randoms[l];
                v[_randomSlots[r] * Lanes + l] = _randomNormal[r] ? random.NextStandardNormal() : random.NextDouble();
            }
    }

    private void RecordDelays(int step)
    {
        var v = Values;
        for (int d = 0; d < _delayInputSlots.Length; d++)
            _context.Delays[_delayIndex[d]].Record(step, v.Slice(_delayInputSlots[d] * Lanes, Lanes));
    }
}
