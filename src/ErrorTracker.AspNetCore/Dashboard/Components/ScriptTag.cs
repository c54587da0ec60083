using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace ErrorTracking.AspNetCore.Dashboard.Components;

/// <summary>
/// A deferred external script. Razor markup refuses script elements in components (they cannot be updated
/// interactively, which the dashboard's static pages never are), so this writes the element itself.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ScriptTag : IComponent
{
    private RenderHandle _handle;

    /// <summary>The script's address.</summary>
    [Parameter, EditorRequired]
    public string Source { get; set; } = "";

    /// <inheritdoc />
    public void Attach(RenderHandle renderHandle) => _handle = renderHandle;

    /// <inheritdoc />
    public Task SetParametersAsync(ParameterView parameters)
    {
        parameters.SetParameterProperties(this);
        _handle.Render(Render);
        return Task.CompletedTask;
    }

    private void Render(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "script");
        builder.AddAttribute(1, "src", Source);
        builder.AddAttribute(2, "defer", true);
        builder.CloseElement();
    }
}
