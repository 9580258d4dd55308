"""Group quizzes: a chat goes through cards together and every member rates for themselves."""
