"""Reference solution, category 2 (iris): a small dense network on the exam's first 80%.

The exam's `preprocess` (features, one-hot label) and last layer; a Normalization layer adapted on
the training features lets the model take the measurements as the grader sends them, in cm.
"""
import tensorflow as tf
import tensorflow_datasets as tfds

EPOCHS = 60


def preprocess(data):
    return data["features"], tf.one_hot(data["label"], 3)


def solution_model():
    data = tfds.load("iris", split="train[:80%]")
    train_dataset = data.map(preprocess).cache().shuffle(120).batch(10)

    normalise = tf.keras.layers.Normalization()
    normalise.adapt(data.map(lambda example: example["features"]).batch(120))
    model = tf.keras.models.Sequential([
        tf.keras.Input(shape=(4,)),
        normalise,
        tf.keras.layers.Dense(16, activation='relu'),
        tf.keras.layers.Dense(3, activation=tf.nn.softmax)
    ])
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss='categorical_crossentropy',
                  metrics=['accuracy'])
    model.fit(train_dataset, epochs=EPOCHS, verbose=0)
    return model


if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
