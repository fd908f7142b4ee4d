public enum DRPolicyPlaceholder {}
