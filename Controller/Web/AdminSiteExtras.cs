using System.Collections.Generic;

namespace Controller.Web;

/// <summary>What an element's web admin shows beyond its own forms: phones run in-process (the web demo) and the other elements of an in-process cluster.</summary>
public sealed class AdminSiteExtras
{
    public List<WebPhone> Phones { get; } = new();

    public List<ControllerElement> Peers { get; } = new();
}
