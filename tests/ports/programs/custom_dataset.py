# PyTorch's "Datasets & DataLoaders" tutorial, with its custom Dataset (__len__, __getitem__,
# transform and target_transform) over the bundled digits instead of image files; the
# DataLoader's batches, drop_last, a dataset of dicts, and a softmax regression trained on
# one-hot (probability) targets with Adam.
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, Dataset

from autograd.utils.data.digits import load_digits


class DigitsDataset(Dataset):
    def __init__(self, images, labels, transform=None, target_transform=None):
        self.images = images
        self.labels = labels
        self.transform = transform
        self.target_transform = target_transform

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, idx):
        image = torch.tensor(self.images[idx], dtype=torch.float32).view(1, 8, 8)
        label = int(self.labels[idx])
        if self.transform:
            image = self.transform(image)
        if self.target_transform:
            label = self.target_transform(label)
        return image, label


def normalize(image):
    return (image / 16 - 0.5) / 0.5


def one_hot(label):
    return F.one_hot(torch.tensor(label), num_classes=10).float()


images, labels = load_digits()
training_data = DigitsDataset(images[:1200], labels[:1200], normalize, one_hot)
test_data = DigitsDataset(images[1200:], labels[1200:], transform=normalize)

train_dataloader = DataLoader(training_data, batch_size=100, shuffle=False, drop_last=True)
test_dataloader = DataLoader(test_data, batch_size=200)
train_features, train_labels = next(iter(train_dataloader))
first = (list(train_features.size()), list(train_labels.size()), len(train_dataloader),
         len(test_dataloader), train_labels[0].argmax().item(), float(train_features[0].sum()))
sample_image, sample_label = training_data[3]


class Pairs(Dataset):  # a dataset whose items are dicts: batched key by key
    def __len__(self):
        return 5

    def __getitem__(self, i):
        return {"index": i, "point": torch.tensor([float(i), -float(i)])}


dict_batches = [(batch["index"].tolist(), batch["point"].sum().item())
                for batch in DataLoader(Pairs(), batch_size=2)]

model = nn.Linear(64, 10)
with torch.no_grad():
    rng = np.random.default_rng(3)
    model.weight.copy_(torch.from_numpy(rng.normal(0, 0.05, (10, 64))))
    model.bias.zero_()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = nn.CrossEntropyLoss()
losses = []
for epoch in range(3):
    for X, y in train_dataloader:
        loss = loss_fn(model(X.flatten(1)), y)  # y: one-hot rows, read as class probabilities
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())

correct = 0
with torch.no_grad():
    for X, y in test_dataloader:
        correct += (model(X.flatten(1)).argmax(1) == y).sum().item()
accuracy = correct / len(test_data)
