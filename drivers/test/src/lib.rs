//! The in-memory test driver.
