"""Document register pages: the master list, a document with its revisions and approvals, and the
suggestions that start a register from the standard's catalog."""
