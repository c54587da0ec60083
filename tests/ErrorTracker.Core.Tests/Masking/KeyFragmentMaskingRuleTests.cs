using ErrorTracking.Configuration;
using ErrorTracking.Masking;

namespace ErrorTracking.Tests.Masking;

public sealed class KeyFragmentMaskingRuleTests
{
    private static readonly KeyFragmentMaskingRule Upstream = new(["password", "secret"], "****");
    private static readonly KeyFragmentMaskingRule Defaults = new(ErrorTrackerOptions.DefaultMaskedKeys, ErrorTrackerOptions.DefaultMask);

    [TestCase("password")]
    [TestCase("secret")]
    [TestCase("foo_secret")]
    [TestCase("test_password_test")]
    [TestCase("TestPassWordTest")]
    [TestCase("TestSecret")]
    [TestCase("THis_Is_SEcret")]
    public void Upstream_names_are_masked(string name)
    {
        Upstream.TryMask(name, out var replacement).Should().BeTrue();
        replacement.Should().Be("****");
    }

    [TestCase("key")]
    [TestCase("user")]
    [TestCase("orderId")]
    [TestCase("")]
    public void Other_names_are_not(string name) => Upstream.TryMask(name, out _).Should().BeFalse();

    [TestCase("X-Api-Key")]
    [TestCase("api_key")]
    [TestCase("Authorization")]
    [TestCase("Set-Cookie")]
    [TestCase("ASP.NET_SessionId")]
    [TestCase("refresh_token")]
    [TestCase("private-key")]
    [TestCase("DbPwd")]
    [TestCase("clientCredentials")]
    [TestCase("X-XSRF-TOKEN")]
    public void Default_fragments_cover_headers_and_common_names(string name) => Defaults.TryMask(name, out _).Should().BeTrue();

    [Test]
    public void No_fragments_masks_nothing()
    {
        var disabled = new KeyFragmentMaskingRule([], "****");

        disabled.TryMask("password", out _).Should().BeFalse();
    }

    [Test]
    public void A_custom_list_masks_key_as_upstream_test_does()
    {
        var custom = new KeyFragmentMaskingRule(["key"], "###@@@@@###");

        custom.TryMask("key", out var replacement).Should().BeTrue();
        replacement.Should().Be("###@@@@@###");
        Upstream.TryMask("key", out _).Should().BeFalse();
    }
}
