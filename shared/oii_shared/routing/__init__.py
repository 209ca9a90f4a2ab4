"""The routing engine every channel uses: what waits, who may take it, and the offer.

Nothing here knows a channel's items. A channel gives the engine its
:class:`~oii_shared.channels.Channel`, a view of the configuration
(:class:`config.RoutingConfig`) and an offer port (:class:`dispatcher.OfferPort`);
the engine keeps the waiting lists (``waiting``), the agents' contacts
(``contacts``, the one writer of ``AgentState.contacts``) and offers contacts to
agents (``dispatcher``) by the cross-channel room rule (``room``).
"""
