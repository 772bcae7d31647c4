// The usage guide's JavaScript ("Using the API in JavaScript"), copied verbatim.
// tests/browser/test_guide_javascript.py runs it in Chromium on a page of the site.

// Example using fetch API
async function initiateDeposit(amount, email) {
    try {
        const response = await fetch('/wallet/api/wallets/default/deposit/', {
            method: 'POST',
            headers: {
                'Content-Type': 'application/json',
                'X-CSRFToken': getCsrfToken() // Function to get CSRF token
            },
            body: JSON.stringify({
                amount: amount,
                email: email,
                callback_url: window.location.origin + '/payment/callback/'
            })
        });
        
        const data = await response.json();
        
        if (data.authorization_url) {
            // Redirect to Paystack checkout page
            window.location.href = data.authorization_url;
        } else {
            console.error('Error initiating deposit:', data);
        }
    } catch (error) {
        console.error('Error:', error);
    }
}

// Function to verify transaction after redirect back from Paystack
async function verifyTransaction(reference) {
    try {
        const response = await fetch('/wallet/api/transactions/verify/', {
            method: 'POST',
            headers: {
                'Content-Type': 'application/json',
                'X-CSRFToken': getCsrfToken()
            },
            body: JSON.stringify({
                reference: reference
            })
        });
        
        return await response.json();
    } catch (error) {
        console.error('Error:', error);
        return { status: 'failed', reason: error.message };
    }
}

async function transferFunds(destinationWalletId, amount, description) {
    try {
        const response = await fetch('/wallet/api/wallets/default/transfer/', {
            method: 'POST',
            headers: {
                'Content-Type': 'application/json',
                'X-CSRFToken': getCsrfToken()
            },
            body: JSON.stringify({
                destination_wallet_id: destinationWalletId,
                amount: amount,
                description: description
            })
        });
        
        return await response.json();
    } catch (error) {
        console.error('Error:', error);
        return { status: 'failed', reason: error.message };
    }
}
