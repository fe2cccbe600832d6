Console.WriteLine("PbxHub benchmarks: see bench/README.md");
