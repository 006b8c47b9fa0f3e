using System.Globalization;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;
using LoopSim.Engine.Tests.Conformance;

namespace LoopSim.Engine.Tests.Formats;

/// <summary>The reader on the real files of the SDXorg suite, independently of the engine.</summary>
public class XmileSuiteReadingTests
{
    [SuiteTheory]
    [MemberData(nameof(SdxorgSuite.ConformanceCases), MemberType = typeof(SdxorgSuite))]
    public void Reads_each_conformance_model_with_the_specs_and_variables_its_output_expects(string id)
    {
        var entry = SdxorgSuite.ById(id);
        var manifest = File.ReadAllLines(Path.Combine(SdxorgSuite.RequiredFolder, "XMILE-MANIFEST.tsv"));
        var header = manifest[0].Split('\t').ToList();
        var row = manifest.Select(l => l.Split('\t')).Single(f => f[0] == entry.Folder && f[1] == entry.ModelFile);
        double Number(string column)
        {
            var text = row[header.IndexOf(column)];
            return text.Contains('/')
                ? double.Parse(text.Split('/')[0], CultureInfo.InvariantCulture) / double.Parse(text.Split('/')[1], CultureInfo.InvariantCulture)
                : double.Parse(text, CultureInfo.InvariantCulture);
        }

        var model = XmileReader.Load(entry.ModelPath);

        Assert.Equal(Number("start"), model.Specs.Start);
        Assert.Equal(Number("stop"), model.Specs.Stop);
        Assert.Equal(Number("dt"), model.Specs.Dt);
        Assert.Equal(entry.ModelPath, model.SourceFile);
        Assert.All(model.Variables, v => Assert.True(v.Location?.Line > 0, $"{v.Name} has no line"));

        // Every column of the expected output is a variable of the model, except where the manifest
        // says the output has extra columns from the Vensim original.
        var names = model.Variables.Select(v => v.CanonicalName).ToHashSet();
        var missing = ExpectedOutput.Read(SdxorgSuite.ExpectedOutputPath(entry)).Columns
            .Select(c => c.Header).Where(h => !names.Contains(Names.Canonical(h))).ToList();
        if (!entry.Notes.Contains("compare only the intersection"))
            Assert.True(missing.Count == 0, $"{id}: no variable for output column(s) {string.Join(", ", missing)}");
        Assert.True(missing.Count < names.Count, $"{id}: no output column matches a variable");
    }

    public static IEnumerable<object[]> MalformedFiles() =>
        SdxorgSuite.Folder is null ? []
        : SdxorgSuite.Manifest().Where(e => e.Status == "broken" && e.Notes.StartsWith("malformed XML")).Select(e => new object[] { e.Id });

    [SuiteTheory]
    [MemberData(nameof(MalformedFiles))]
    public void The_suites_malformed_files_are_reported_with_file_and_line(string id)
    {
        var entry = SdxorgSuite.ById(id);

        var e = Assert.Throws<ModelException>(() => XmileReader.Load(entry.ModelPath));

        var d = Assert.Single(e.Diagnostics);
        Assert.StartsWith("malformed XML", d.Message);
        Assert.Equal(entry.ModelPath, d.Location!.File);
        Assert.True(d.Location.Line > 1);
    }
}
