"""The staff console: the web pages officers, heads and supervisors use, served by the service
itself. Every page is drawn from the API's own answers, asked in process with the person's own
token, so a page applies no rule of its own: it shows what the API answers and offers the acts
the API lists as open (`GET <resource>/{id}/acts`)."""
