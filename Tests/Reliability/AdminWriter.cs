using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Controller.Admin;

namespace Tests.Reliability;

/// <summary>
/// An administrator adding Telephone Directory entries through the REST API one after another;
/// every number the API answered 201 Created for is recorded: a change the controller confirmed.
/// </summary>
public sealed class AdminWriter : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public AdminWriter(string endpointFile, int firstNumber, int count)
    {
        (Uri address, string token) = AdminEndpoint.Read(endpointFile);
        _loop = Task.Run(() => Loop(address, token, firstNumber, count));
    }

    /// <summary>The numbers the API confirmed (201).</summary>
    public ConcurrentBag<string> Confirmed { get; } = new();

    /// <summary>Completes after the next confirmed change (or when the loop ends).</summary>
    public TaskCompletionSource NextConfirmed { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task Loop(Uri address, string token, int firstNumber, int count)
    {
        using HttpClient client = new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            for (int n = firstNumber; n < firstNumber + count && !_stop.IsCancellationRequested; n++)
            {
                string body = "{\"number\":\"" + n + "\",\"name\":\"Admin " + n + "\"}";
                using StringContent content = new(body, Encoding.UTF8, "application/json");
                using HttpResponseMessage response = await client.PostAsync("api/telephone-directory", content, _stop.Token).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    Confirmed.Add(n.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    TaskCompletionSource done = NextConfirmed;
                    NextConfirmed = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    done.TrySetResult();
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.IO.IOException)
        {
            // the controller went away: what it confirmed so far is recorded
        }

        NextConfirmed.TrySetResult();
    }
}
