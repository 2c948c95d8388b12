using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace Controller.Admin;

/// <summary>
/// A host lifetime that listens to no signal: the admin API starts and stops when the element
/// does, and the `controller` program alone decides what SIGTERM and SIGINT do.
/// </summary>
internal sealed class ProgramOwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
