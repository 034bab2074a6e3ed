package io.jpeer.store;

class MemStoreTest extends ObjectStoreContract {
  @Override
  protected ObjectStore create() {
    return new MemStore();
  }
}
