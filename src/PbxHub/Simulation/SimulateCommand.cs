using System.CommandLine;

namespace PbxHub.Simulation;

internal static class SimulateCommand
{
    public static Command Create() => new("simulate", "Send realistic provider traffic to a running hub");
}
