"""What both SQL backends share: the repositories' statements and row codecs, the staged-write
and reader interfaces they use, the small dialect where the engines differ, and the migration
files' numbering."""
