using System.Diagnostics;
using System.Text;
using Transmog.Data.Fuzz;

// A deterministic, feedback-guided mutation fuzzer over the input reader and the flattener.
//   dotnet run --project tests/Transmog.Data.Fuzz -c Release -- [--seconds 30] [--iterations N] [--seed 1] [--seeds DIR ...] [--crashes DIR]
// Feedback: an input whose outcome signature (tables, rejects, error kind) is new joins the corpus.
// Exit code 0: no finding; 1: findings written to the crashes directory; 3: a hang (one input over 10 s).
int seconds = 30;
long iterations = long.MaxValue;
int seed = 1;
string crashes = Path.Combine(Path.GetTempPath(), "transmog-fuzz-crashes");
var seedDirs = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seconds": seconds = int.Parse(args[++i]); break;
        case "--iterations": iterations = long.Parse(args[++i]); break;
        case "--seed": seed = int.Parse(args[++i]); break;
        case "--seeds": seedDirs.Add(args[++i]); break;
        case "--crashes": crashes = args[++i]; break;
        default: Console.Error.WriteLine("unknown argument " + args[i]); return 2;
    }
}

var corpus = new List<byte[]>(Seeds.BuiltIn());
foreach (string dir in seedDirs.Where(Directory.Exists))
{
    foreach (string file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
    {
        byte[] bytes = File.ReadAllBytes(file);
        if (bytes.Length <= 256 * 1024)
        {
            corpus.Add(bytes);
        }
        else
        {
            // Large seeds (the sample file) contribute their lines.
            corpus.AddRange(Encoding.UTF8.GetString(bytes).Split('\n').Where(l => l.Length > 0).Take(50).Select(Encoding.UTF8.GetBytes));
        }
    }
}

var random = new Random(seed);
var signatures = new HashSet<string>();
var mutator = new Mutator(random);
var watch = Stopwatch.StartNew();
long executions = 0;
int findings = 0;
long known = 0;
byte[]? current = null;
int currentSelector = 0;
var lastStart = Stopwatch.StartNew();
using var watchdog = new Timer(_ =>
{
    if (current is not null && lastStart.Elapsed > TimeSpan.FromSeconds(10))
    {
        Directory.CreateDirectory(crashes);
        File.WriteAllBytes(Path.Combine(crashes, $"hang-s{currentSelector}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(current))[..12]}.bin"), current);
        Console.WriteLine($"HANG after {executions} executions (selector {currentSelector})");
        Environment.Exit(3);
    }
}, null, 1000, 1000);

while (watch.Elapsed < TimeSpan.FromSeconds(seconds) && executions < iterations)
{
    byte[] parent = corpus[random.Next(corpus.Count)];
    byte[] input = mutator.Mutate(parent, corpus[random.Next(corpus.Count)]);
    int selector = random.Next(FuzzTarget.Selectors);
    current = input;
    currentSelector = selector;
    lastStart.Restart();
    try
    {
        string signature = FuzzTarget.Run(input, selector);
        if (signature.StartsWith("known:", StringComparison.Ordinal))
        {
            known++;
        }
        else if (signatures.Add(signature) && input.Length <= 64 * 1024 && corpus.Count < 5000)
        {
            corpus.Add(input);
        }
    }
    catch (Exception ex)
    {
        findings++;
        Directory.CreateDirectory(crashes);
        string name = $"crash-s{selector}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(input))[..12]}";
        File.WriteAllBytes(Path.Combine(crashes, name + ".bin"), input);
        File.WriteAllText(Path.Combine(crashes, name + ".txt"), $"selector {selector}\n{ex}");
        Console.WriteLine($"FINDING {name}: {ex.GetType().Name}: {ex.Message}");
    }

    current = null;
    executions++;
}

Console.WriteLine($"fuzz: {executions} executions in {watch.Elapsed.TotalSeconds:F0} s, corpus {corpus.Count}, outcome signatures {signatures.Count}, known-issue hits {known}, findings {findings}");
return findings == 0 ? 0 : 1;
