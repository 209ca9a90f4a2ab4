"""The item core: what every channel's items share.

IciItem's nine operations (9.4) are the same for phone calls, e-mails, chats and
action items; a channel implements :class:`oii_shared.items.handlers.ItemPort`
and gets the one handler set. The capability guard (an operation is allowed only
when its capability is in the item's list, chapter 10) and the attached-data
document (7.2.4) are here too.
"""
