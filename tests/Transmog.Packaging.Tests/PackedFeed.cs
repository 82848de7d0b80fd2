namespace Transmog.Packaging.Tests;

/// <summary>
/// Packs Transmog.Data, Transmog.Data.Loading and the Transmog.Cli tool once into a temporary folder, under a version
/// no feed has (so whatever restores it can only have taken it from that folder). Deleted at the end.
/// </summary>
public sealed class PackedFeed : IAsyncLifetime
{
    public static readonly string[] Packages = ["Transmog.Data", "Transmog.Data.Loading", "Transmog.Cli"];

    public string Root { get; } = Directory.CreateTempSubdirectory("transmog-pack-").FullName;

    public string Feed => Path.Combine(Root, "feed");

    public string Version { get; } = "0.1.0-packtest." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "." + Environment.ProcessId;

    public string PackPath(string id, string extension = "nupkg") => Path.Combine(Feed, $"{id}.{Version}.{extension}");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        foreach (string id in Packages)
        {
            // Built by this test project's references in the same configuration: pack what was built.
            string project = Path.Combine(DotnetProcess.RepositoryRoot, "src", id, id + ".csproj");
            var (code, output, error) = await DotnetProcess.DotnetAsync(Root, TimeSpan.FromMinutes(4), null,
                "pack", project, "-c", DotnetProcess.Configuration, "--no-build", "-o", Feed, "-p:PackageVersion=" + Version, "-nodeReuse:false");
            if (code != 0)
            {
                throw new InvalidOperationException($"dotnet pack {id} failed ({code}):\n{output}\n{error}");
            }
        }
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return Task.CompletedTask;
    }
}
