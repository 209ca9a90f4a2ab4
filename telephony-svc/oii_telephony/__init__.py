"""OII telephony service: phone calls.

IciPhoneLine, IciPhoneCall, IciItem for calls, IciSystem call-backs and recordings.
"""
