"""Personal FSRS parameters: fitted from a learner's own reviews, refitted weekly, resettable."""
