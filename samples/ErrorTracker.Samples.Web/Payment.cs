namespace ErrorTracking.Samples.Web;

/// <summary>The JSON body of the payment route: the card's details are secrets the tracker must mask.</summary>
internal sealed record Payment(decimal Amount, string Currency, Card Card, string ApiKey);

/// <summary>A card, nested in the payment.</summary>
internal sealed record Card(string Holder, string Number, string Cvv);
