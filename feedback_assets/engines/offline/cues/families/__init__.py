"""The type cue families, one module each: what the customer is doing, the type it speaks for, and its cues
(assembled in ``cues.type_cues``)."""
