using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Tests.Formats;

public class ModelLoaderTests
{
    [Theory]
    [InlineData(".yaml")]
    [InlineData(".yml")]
    [InlineData(".YAML")]
    public void Yaml_extensions_use_the_yaml_reader(string extension)
    {
        var path = Path.Combine(Path.GetTempPath(), $"loopsim-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(path, "sim: {start: 0, stop: 4, dt: 1}\nauxiliaries:\n  a:\n    equation: 3\n");
        try
        {
            var model = ModelLoader.Load(path);
            Assert.Equal(path, model.SourceFile);
            Assert.Equal("3", model.Variables.Single().Equation!.Text);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData(".xmile")]
    [InlineData(".stmx")]
    public void Xmile_extensions_use_the_xmile_reader(string extension)
    {
        var path = Path.Combine(Path.GetTempPath(), $"loopsim-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(path, XmileWriter.Write(YamlModelReader.Parse("sim: {start: 0, stop: 4, dt: 1}\nauxiliaries:\n  a:\n    equation: 3\n")));
        try
        {
            var model = ModelLoader.Load(path);
            Assert.Equal(path, model.SourceFile);
            Assert.Equal("3", model.Variables.Single().Equation!.Text);
            Assert.True(model.Variables.Single().Location!.Line > 1); // located in the XMILE file, not the YAML text
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Unknown_extension_names_the_file_and_the_supported_ones()
    {
        var e = Assert.Throws<ModelException>(() => ModelLoader.Load("model.txt"));
        Assert.Contains("'model.txt'", e.Message);
        Assert.Contains("unknown extension '.txt'", e.Message);
        foreach (var extension in ModelLoader.Extensions)
            Assert.Contains(extension, e.Diagnostics[0].Hint);
    }

    [Fact]
    public void Missing_file_is_named()
    {
        var e = Assert.Throws<ModelException>(() => ModelLoader.Load("missing/model.yaml"));
        Assert.Contains("model file 'missing/model.yaml' not found", e.Message);
    }
}
