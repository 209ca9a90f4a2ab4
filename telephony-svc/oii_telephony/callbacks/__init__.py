"""Web callbacks (IciSystem createCallBack, updateCallBack, getCallBacks; spec 9.1.6-9.1.8)."""
