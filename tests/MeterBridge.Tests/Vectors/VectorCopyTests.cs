using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.Vectors;

/// <summary>
/// The repository keeps its own copies of the vectors; where the upstream folder exists (our machines, CI), a copy
/// that differs from it fails here, so a change upstream is noticed. In a clone that stands alone it is skipped.
/// </summary>
public sealed class VectorCopyTests
{
    [UpstreamFact]
    public void Payload_vectors_equal_the_upstream_copy() => AssertSame("payloads.json");

    [UpstreamFact]
    public void Source_vectors_equal_the_upstream_copy() => AssertSame("sources.json");

    private static void AssertSame(string name)
    {
        string ours = File.ReadAllText(Path.Combine(RepoPaths.VectorsDir, name));
        string upstream = File.ReadAllText(Path.Combine(RepoPaths.UpstreamVectorsDir, name));
        Assert.True(ours == upstream, $"tests/vectors/{name} differs from {RepoPaths.UpstreamVectorsDir}/{name}: copy it again and run the tests");
    }

    /// <summary>A fact that xunit reports as skipped (not passed) when there is no upstream folder to compare with.</summary>
    internal sealed class UpstreamFactAttribute : FactAttribute
    {
        public UpstreamFactAttribute()
        {
            if (!Directory.Exists(RepoPaths.UpstreamVectorsDir))
                Skip = $"no upstream vectors at {RepoPaths.UpstreamVectorsDir}: nothing to compare the copies with";
        }
    }
}
