using System.Diagnostics;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace LoopSim.Cli.Tests;

/// <summary>
/// deploy/: the Kubernetes Indexed Job and the SLURM job array, run here as their schedulers would run them: one
/// process per shard with the scheduler's variables (JOB_COMPLETION_INDEX; SLURM_ARRAY_TASK_ID and
/// SLURM_ARRAY_TASK_COUNT), each through its own shell command line, a <c>loopsim</c> on the PATH, then the merge
/// step. The merged folder must equal one unsharded run. Only the number of runs is made smaller.
/// </summary>
[Collection("Console")]
public sealed partial class DeployTests : CliTest
{
    private static readonly string Root = Path.GetDirectoryName(Shipped.Folder)!;
    private const string Runs = "30";

    /// <summary>A bin folder with a <c>loopsim</c> that runs the CLI built beside these tests, as the image's loopsim does.</summary>
    private string LoopsimOnPath()
    {
        var bin = Out("bin");
        Directory.CreateDirectory(bin);
        var script = Path.Combine(bin, "loopsim");
        File.WriteAllText(script, $"#!/bin/sh\nexec dotnet \"{Path.Combine(AppContext.BaseDirectory, "loopsim.dll")}\" \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return bin;
    }

    private static void Shell(string program, string[] args, IDictionary<string, string> env, string workingDirectory)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in env) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(" ", args)} exited {process.ExitCode}: {error}{output.Result}");
    }

    /// <summary>The merge step draws the charts and report.html too (ShardMergeTests compares those byte for byte); here the tables.</summary>
    private void AssertMergedEqualsOneRun(string merged, string scenario)
    {
        var (exit, _, error) = CliRunner.Run("run", scenario, "--runs", Runs, "--no-charts", "--output", Out("whole"));
        Assert.True(exit == 0, error);
        // .loopsim marks a folder LoopSim wrote (so a rerun may replace it); the tables are the outputs.
        var expected = Directory.GetFiles(Out("whole")).Select(f => Path.GetFileName(f)).Where(f => f != ".loopsim").Order().ToArray();
        Assert.Equal(["percentiles.csv", "runs.csv", "summary.csv"], expected);
        foreach (var file in expected)
            Assert.Equal(File.ReadAllBytes(Path.Combine(Out("whole"), file)), File.ReadAllBytes(Path.Combine(merged, file)));
        Assert.True(File.Exists(Path.Combine(merged, "report.html")));
    }

    private static Dictionary<string, string> Env(YamlMappingNode container) =>
        ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>().ToDictionary(e => e["name"].ToString(), e => e["value"].ToString());

    [Fact]
    public void The_Kubernetes_indexed_job_runs_every_shard_and_the_merge()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Root, "deploy", "kubernetes", "loopsim-shards.yaml"))));
        var jobs = stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToDictionary(j => ((YamlMappingNode)j["metadata"])["name"].ToString());
        var shardSpec = (YamlMappingNode)jobs["loopsim-shards"]["spec"];
        Assert.Equal("Indexed", shardSpec["completionMode"].ToString());
        int completions = int.Parse(shardSpec["completions"].ToString());
        var shard = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)shardSpec["template"])["spec"])["containers"])[0];
        var merge = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)jobs["loopsim-merge"]["spec"])["template"])["spec"])["containers"])[0];
        var env = Env(shard);
        Assert.Equal(completions.ToString(), env["SHARDS"]);
        Assert.Equal(env["SHARDS"], Env(merge)["SHARDS"]);

        // The pod: its command line, the volume at /data (here a local folder), WORKDIR /app (here the repository, which has scenarios/).
        var data = Out("data");
        string Pod(YamlMappingNode container) =>
            string.Join(" ", ((YamlSequenceNode)container["args"]).Select(a => a.ToString())).Replace("/data", data, StringComparison.Ordinal);
        var command = ((YamlSequenceNode)shard["command"]).Select(c => c.ToString()).ToArray();
        Assert.Equal(["/bin/sh", "-c"], command);
        var path = LoopsimOnPath() + ":" + Environment.GetEnvironmentVariable("PATH");
        for (int index = 0; index < completions; index++)
            Shell(command[0], [command[1], Pod(shard)], new Dictionary<string, string>(env) { ["LOOPSIM_RUNS"] = Runs, ["JOB_COMPLETION_INDEX"] = index.ToString(), ["PATH"] = path }, Root);
        Shell(command[0], [command[1], Pod(merge)], new Dictionary<string, string>(Env(merge)) { ["PATH"] = path }, Root);

        for (int index = 0; index < completions; index++)
            Assert.Contains($"\"Shard\": {index},", File.ReadAllText(Path.Combine(data, "shards", index.ToString(), "shard.json")));
        AssertMergedEqualsOneRun(Path.Combine(data, "merged"), Path.Combine(Root, env["LOOPSIM_SCENARIO"]));
    }

    [Fact]
    public void The_SLURM_array_runs_every_shard_and_the_merge()
    {
        var slurm = Path.Combine(Root, "deploy", "slurm");
        var array = ArrayDirective().Match(File.ReadAllText(Path.Combine(slurm, "loopsim-shards.sbatch")));
        Assert.True(array.Success, "loopsim-shards.sbatch has no #SBATCH --array=0-N");
        int first = int.Parse(array.Groups[1].Value), last = int.Parse(array.Groups[2].Value);
        Assert.Equal(0, first);
        var submit = File.ReadAllText(Path.Combine(slurm, "submit.sh"));
        Assert.Contains("--dependency=\"afterok:", submit);

        var work = Out("work");
        var path = LoopsimOnPath() + ":" + Environment.GetEnvironmentVariable("PATH");
        for (int task = first; task <= last; task++)
            Shell("bash", [Path.Combine(slurm, "loopsim-shards.sbatch")], new Dictionary<string, string>
            {
                ["SLURM_ARRAY_TASK_ID"] = task.ToString(), ["SLURM_ARRAY_TASK_COUNT"] = (last - first + 1).ToString(), ["SLURM_CPUS_PER_TASK"] = "1",
                ["LOOPSIM_RUNS"] = Runs, ["LOOPSIM_WORK"] = work, ["PATH"] = path,
            }, Root);
        Shell("bash", [Path.Combine(slurm, "loopsim-merge.sbatch")], new Dictionary<string, string> { ["LOOPSIM_WORK"] = work, ["PATH"] = path }, Root);
        AssertMergedEqualsOneRun(Path.Combine(work, "merged"), Shipped.Scenario("alliance"));
    }

    [Fact]
    public void The_container_image_builds_from_files_that_exist()
    {
        // Docker cannot run here: check what the Dockerfile copies and publishes is in the repository, and that it puts loopsim on the PATH.
        var dockerfile = File.ReadAllText(Path.Combine(Root, "deploy", "Dockerfile"));
        foreach (Match copy in CopyLine().Matches(dockerfile))
            Assert.True(copy.Groups[1].Value == "." || Path.Exists(Path.Combine(Root, copy.Groups[1].Value)), $"COPY {copy.Groups[1].Value}: not in the repository");
        var publish = PublishLine().Match(dockerfile);
        Assert.True(File.Exists(Path.Combine(Root, publish.Groups[1].Value)), publish.Groups[1].Value);
        Assert.Contains("/usr/local/bin/loopsim", dockerfile);
        Assert.Contains("WORKDIR /app", dockerfile);
        Assert.Contains("COPY scenarios /app/scenarios", dockerfile);
    }

    [GeneratedRegex(@"^#SBATCH --array=(\d+)-(\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ArrayDirective();

    [GeneratedRegex(@"^COPY (?!--from)(\S+) ", RegexOptions.Multiline)]
    private static partial Regex CopyLine();

    [GeneratedRegex(@"dotnet publish (\S+)")]
    private static partial Regex PublishLine();
}
