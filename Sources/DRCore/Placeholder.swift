public enum DRCorePlaceholder {}
