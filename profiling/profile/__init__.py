"""The incremental profile state: O(1) updates, timing, active hours, versioned JSON codec."""
