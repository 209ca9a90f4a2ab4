"""CRM's event subscriptions (KV bucket ``oii_subscriptions``) and the rules for their URLs."""
