package io.jpeer.bench;
final class Placeholder {}
