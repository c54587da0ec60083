'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const button = document.getElementById('pay');
  const result = document.getElementById('pay-result');
  button.addEventListener('click', async () => {
    const payment = {
      amount: 25,
      currency: 'EUR',
      card: { holder: 'Alice Example', number: '4111 1111 1111 1111', cvv: '737' },
      apiKey: 'sk_live_sample_4f7a9c'
    };
    const response = await fetch('/api/payments', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(payment)
    });
    result.textContent = `answered ${response.status}: recorded, see the dashboard`;
  });
});
