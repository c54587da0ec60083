using System.Net;
using System.Security.Claims;
using ErrorTracking.AspNetCore.Security;
using ErrorTracking.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace ErrorTracking.AspNetCore.Tests;

public sealed class ViewPermissionTests
{
    private ServiceProvider _services = null!;

    [OneTimeSetUp]
    public void BuildServices() => _services = new ServiceCollection().AddLogging().AddAuthorization(o =>
        o.AddPolicy("Ops", p => p.RequireClaim("team", "ops"))).BuildServiceProvider();

    [OneTimeTearDown]
    public void DisposeServices() => _services.Dispose();

    private ViewerContext Viewer(ClaimsPrincipal user, string address = "203.0.113.7") => new(user, IPAddress.Parse(address), _services);

    private static ClaimsPrincipal Anonymous => new(new ClaimsIdentity());

    private static ClaimsPrincipal User(params Claim[] claims) => new(new ClaimsIdentity(claims, "test", ClaimTypes.Name, ClaimTypes.Role));

    [Test]
    public async Task Nobody_is_allowed_by_default()
    {
        (await new DenyAllViewPermission().IsAllowedAsync(Viewer(User(new Claim(ClaimTypes.Role, "Admin")), "127.0.0.1"), default)).Should().BeFalse();
    }

    [Test]
    public async Task Authenticated_users_role_policy_and_loopback_decide_as_named()
    {
        var admin = User(new Claim(ClaimTypes.Name, "ann"), new Claim(ClaimTypes.Role, "Admin"));
        var opsMember = User(new Claim(ClaimTypes.Name, "olga"), new Claim("team", "ops"));

        (await new AuthenticatedUsersPermission().IsAllowedAsync(Viewer(admin), default)).Should().BeTrue();
        (await new AuthenticatedUsersPermission().IsAllowedAsync(Viewer(Anonymous), default)).Should().BeFalse();
        (await new RolePermission("Admin", "Support").IsAllowedAsync(Viewer(admin), default)).Should().BeTrue();
        (await new RolePermission("Support").IsAllowedAsync(Viewer(admin), default)).Should().BeFalse();
        (await new PolicyPermission("Ops").IsAllowedAsync(Viewer(opsMember), default)).Should().BeTrue();
        (await new PolicyPermission("Ops").IsAllowedAsync(Viewer(admin), default)).Should().BeFalse();
        (await new LoopbackPermission().IsAllowedAsync(Viewer(Anonymous, "127.0.0.1"), default)).Should().BeTrue();
        (await new LoopbackPermission().IsAllowedAsync(Viewer(Anonymous, "::1"), default)).Should().BeTrue();
        (await new LoopbackPermission().IsAllowedAsync(Viewer(Anonymous, "10.1.2.3"), default)).Should().BeFalse();
    }

    [Test]
    public void A_role_permission_needs_a_role() =>
        FluentActions.Invoking(() => new RolePermission()).Should().Throw<ArgumentException>().WithMessage("*at least one role*");
}
