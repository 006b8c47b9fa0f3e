namespace LoopSim.Reports.Tests;

public class ChartPaletteTests
{
    [Fact]
    public void A_name_hashes_to_its_FNV1a_slot()
    {
        // FNV-1a 32-bit test vectors: "a" = 0xE40C292C (3826002220), "b" = 0xE70C2DE5 (3876335077).
        Assert.Equal(0, new ChartPalette().SlotOf("a"));
        Assert.Equal(7, new ChartPalette().SlotOf("b"));
    }

    [Fact]
    public void The_same_name_gets_the_same_colour_in_separate_palettes_and_ignores_case_and_spaces()
    {
        var first = new ChartPalette();
        var second = new ChartPalette();
        second.ColorOf("alliance");

        Assert.Equal(first.ColorOf("Shanghai"), second.ColorOf("Shanghai"));
        Assert.Equal(first.ColorOf("Shanghai"), first.ColorOf(" shanghai "));
    }

    [Fact]
    public void Ten_names_get_ten_different_colours_then_colours_repeat()
    {
        var palette = new ChartPalette();
        string[] names = Enumerable.Range(1, 11).Select(i => $"loop {i}").ToArray();

        int[] slots = names.Select(palette.SlotOf).ToArray();

        Assert.Equal(ChartPalette.Size, slots.Take(10).Distinct().Count());
        Assert.InRange(slots[10], 0, ChartPalette.Size - 1);
    }

    [Fact]
    public void Pinned_names_keep_their_colours_whatever_order_charts_ask_in()
    {
        string[] cities = ["Shanghai", "Beijing", "Shenzhen", "Hangzhou", "Chengdu"];
        var forward = new ChartPalette(cities);
        var backward = new ChartPalette(cities);

        var a = cities.Select(forward.ColorOf).ToArray();
        var b = cities.Reverse().Select(backward.ColorOf).Reverse().ToArray();

        Assert.Equal(a, b);
        Assert.Equal(cities.Length, a.Distinct().Count());
    }
}
