"""The SOAP handlers of telephony: IciPhoneLine, IciPhoneCall, IciItem for calls."""
