public enum SigV4Placeholder {}
