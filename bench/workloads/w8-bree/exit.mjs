// A trivial bree job that does nothing: the worker exits by itself.
