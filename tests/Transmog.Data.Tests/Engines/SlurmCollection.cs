using Transmog.Data.TestSupport.Servers;

namespace Transmog.Data.Tests.Engines;

// xunit finds collection definitions in the test assembly only: the cluster lives in Transmog.Data.TestSupport.
// One private cluster for every test class of the collection; they run one after another.
[CollectionDefinition(Name)]
public sealed class SlurmCollection : ICollectionFixture<SlurmCluster>
{
    public const string Name = "Slurm cluster";
}
